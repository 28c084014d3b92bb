"""``totp_enrol <username>``: give a staff member an authenticator-app device (TOTP).

Prints the ``otpauth://`` address and a QR code in the terminal, once: scan it with an
authenticator app (FreeOTP, Aegis, Google Authenticator...). Run it for the first
administrator after ``createsuperuser``; later devices can be added in the staff site.
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Add a TOTP device (authenticator app) to a staff account and show its QR code once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator app", help="what to call the device")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff account named {username!r}.")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(f"Device {name!r} added for {username}. Scan this with the authenticator app:")
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        text = io.StringIO()
        code.print_ascii(out=text, invert=True)
        self.stdout.write(text.getvalue())
        self.stdout.write(f"or enter: {device.config_url}")
