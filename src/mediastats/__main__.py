"""``python -m mediastats`` is the ``mediastats`` command."""

from mediastats.cli import main

main()
