"""Test-wide defaults, set before anything loads Qt or keyring: Qt offscreen, no sound-card noise, a
keyring that stores nothing (tests that need one install their own), no desk files in the real home."""
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
os.environ.setdefault("GJJ_DESK_HOME", tempfile.mkdtemp(prefix="gjj-desk-test-home-"))
