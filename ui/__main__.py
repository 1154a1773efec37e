"""`python -m ui` and the frozen bundle's entry point: the gjj-desk client."""
from ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
