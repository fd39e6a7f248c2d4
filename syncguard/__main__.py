"""``python -m syncguard`` runs the command line."""

from syncguard.cli import main

main()
