"""Helpers for tests across the project: the centre in-process (`server`), the real `gjj-centre` as
subprocesses (`centre`), a private PostgreSQL (`pg`)."""
