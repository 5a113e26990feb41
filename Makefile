# The two Quick start commands (see README.md). Everything they need is installed by scripts/setup.sh.
.PHONY: build test lint

build:
	bash scripts/setup.sh run
	.venv/bin/coursegen build

test:
	bash scripts/setup.sh test
	.venv/bin/ruff check generator tests bench
	.venv/bin/python -m pytest -n 2 -p no:cacheprovider

lint:
	.venv/bin/ruff check generator tests bench
