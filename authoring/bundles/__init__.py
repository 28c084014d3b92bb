"""Portable program bundles: how organisations write, review and share a whole program.

- ``format``: the file format's shared helpers (YAML, validation, ``BundleError``).
- ``program``: the bundle as a whole: structure, languages, modules, steps, helplines.
- ``questionnaires``: the questionnaire part: instruments, occasions and their texts.

Nothing here touches the database: ``authoring.services`` loads a ``Bundle`` into it through
the content and questionnaire services, and exports one from it.
"""
