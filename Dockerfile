# syntax=docker/dockerfile:1
# Production image: gunicorn serving Django, with the compiled translations shipped in
# locale/ (a test keeps them equal to the .po files) and collected,
# compressed static files. The same image runs the Celery worker and beat.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --requirement /tmp/requirements.txt
WORKDIR /app
COPY . /app
# Build-time only values: nothing here is used at run time.
RUN SECRET_KEY=build-only CODENAME_PEPPER=build-only ENV_FILE= DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=redirection.settings \
    ENV_FILE=
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /app /app
WORKDIR /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# No access log (see deploy/gunicorn.conf.py).
CMD ["gunicorn", "redirection.wsgi", "--config", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
