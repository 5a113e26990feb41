"""The MOOC site: pages generated from the course model and built with mkdocs-material."""
