"""CLI commands by area; every module here is imported by ``levy.cli.init_app``."""
