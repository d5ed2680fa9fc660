"""`python -m sitroom` is the `sitroom` command."""

from sitroom.cli import main

if __name__ == "__main__":
    main()
