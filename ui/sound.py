"""The new-message chime (resources/sounds/message.wav) through QtMultimedia, loaded on first use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl

import resources

CHIME = Path(resources.__file__).parent / "sounds" / "message.wav"


class MessageSound(QObject):
    def __init__(self, enabled: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self._effect = None
        self.played = 0  # how many times the chime was asked to play (tests read it)

    def play(self) -> None:
        if not self.enabled:
            return
        self.played += 1
        if self._effect is None:
            from PySide6.QtMultimedia import QSoundEffect  # noqa: PLC0415 - QtMultimedia is slow to load

            self._effect = QSoundEffect(self)
            self._effect.setSource(QUrl.fromLocalFile(str(CHIME)))
            self._effect.setVolume(0.6)
        self._effect.play()  # without a sound device the effect is in Error state and this does nothing
