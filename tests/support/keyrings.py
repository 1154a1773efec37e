"""An in-memory keyring backend for tests (`keyring.set_keyring(DictKeyring())`): what was stored can be
inspected in `.values`, keyed by (service, username)."""
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class DictKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.values.get((service, username))

    def set_password(self, service, username, password):
        self.values[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.values:
            raise PasswordDeleteError(username)
        del self.values[(service, username)]
