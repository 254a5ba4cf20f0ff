"""``python -m emulator`` → the CLI."""

from .cli import main

raise SystemExit(main())
