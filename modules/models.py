"""Self-help content models (programs, modules, steps, blocks, helplines)."""
