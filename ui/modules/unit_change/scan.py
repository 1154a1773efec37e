"""档案扫描: the supporting scans of an approval business — add with the file picker or by dragging files in,
thumbnails, remove; type (by content), size and count are checked before anything is sent; 上传完成并提交审批
uploads what the centre does not have yet (with progress) and submits the application."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.applications import DraftFile, Progress
from client.errors import CentreUnreachable, ClientError
from client.uploads import MAX_FILES, ScanFile, Spool, check_count, fmt_size
from ui.errors import message_for
from ui.modules.unit_change.thumbs import THUMB, framed, render_all, tile
from ui.ops import Op
from ui.widgets import InlineMessage

if TYPE_CHECKING:
    from ui.application_host import ApplicationHost

INTRO = ("请上传变更证明材料的扫描件（如营业执照副本、法定代表人身份证明、变更决议等）：PDF、JPEG、PNG或TIFF格式，"
         f"单个文件不超过20 MB，每笔业务最多{MAX_FILES}个文件。可点击“添加文件”，也可将文件拖到下方区域。")
DROP_HINT = "将扫描件拖到此处，或点击“添加文件”"
FILE_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"
OFFLINE = ("无法连接公积金中心服务器。已完成的步骤已保存，网络恢复后请再次点击“上传完成并提交审批”继续，"
           "已上传的文件不会重复上传")


def add_files(spool: Spool, paths: list[str], existing: int, known: set[str]) -> tuple[list[ScanFile], list[str]]:
    """Background: check and keep each file; (kept, the clerk's sentence for each refused one). Too many files
    refuses them all (ClientError)."""
    check_count(existing, len(paths))
    kept, refused = [], []
    for path in paths:
        try:
            file = spool.add(path)
        except ClientError as exc:
            refused.append(exc.message)
            continue
        if file.sha256 in known:
            refused.append(f"文件“{file.label}”已添加过，无需重复添加")
            continue
        known.add(file.sha256)
        kept.append(file)
    return kept, refused


class DropList(QListWidget):
    """The thumbnails; local files dropped on it are offered to the dialog."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanList")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(176, 206))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSpacing(6)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    @staticmethod
    def _local_files(event) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = self._local_files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.count() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#7a8696"))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, DROP_HINT)
            painter.end()


class ScanDialog(QDialog):
    def __init__(self, tab: ApplicationHost, parent: QWidget | None = None, *, intro: str = INTRO,
                 missing: str | None = "请上传变更证明材料后再提交审批") -> None:
        """`intro` / `missing`: what to upload and what is said when nothing was (other approval businesses
        name their own required documents; `missing=None`: the files are optional, 提交 works without any);
        `tab` is the approval tab the dialog works for (ui.application_host.ApplicationHost)."""
        super().__init__(parent or tab)
        self.missing = missing
        self.setObjectName("scanDialog")
        self.setWindowTitle("档案扫描")
        self.resize(900, 620)
        self.tab = tab
        self.busy = False
        self.progress: Progress | None = None
        self._thumbs: dict[str, QPixmap] = {}
        intro = QLabel(intro)
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.list = DropList()
        self.list.files_dropped.connect(self.add_paths)
        self.list.itemSelectionChanged.connect(self._sync)
        self.add_button = QPushButton("添加文件")
        self.add_button.clicked.connect(self.pick_files)
        self.remove_button = QPushButton("删除所选")
        self.remove_button.clicked.connect(self.remove_selected)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.error = InlineMessage()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.bar_label = QLabel()
        self.bar.hide()
        self.bar_label.hide()
        self.back_button = QPushButton("返回修改")
        self.back_button.clicked.connect(self.reject)
        self.submit_button = QPushButton("上传完成并提交审批")
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submit)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._show_progress)

        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.remove_button)
        tools.addSpacing(12)
        tools.addWidget(self.summary, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(tools)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.bar_label)
        layout.addWidget(self.bar)
        layout.addLayout(bottom)
        self.refresh()

    # -- the list ---------------------------------------------------------------------------------

    @property
    def draft(self):
        return self.tab.draft

    def file_count(self) -> int:
        return len(self.draft.files) + len(self.draft.remote)

    def refresh(self) -> None:
        self.list.clear()
        missing = []
        for entry in self.draft.files:
            file = entry.file
            key = file.sha256
            state = "已上传" if entry.attachment_id is not None else "待上传"
            item = QListWidgetItem(f"{file.label}\n{file.type_name} · {fmt_size(file.size)} · {state}")
            item.setData(Qt.ItemDataRole.UserRole, ("local", key))
            item.setToolTip(file.label)
            if key in self._thumbs:
                item.setIcon(QIcon(self._thumbs[key]))
            else:
                item.setIcon(QIcon(tile(file.type_name)))
                missing.append((key, str(self.tab.spool.path_of(key))))
            self.list.addItem(item)
        for remote in self.draft.remote:
            type_name = (remote.get("media_type") or "").split("/")[-1].upper()
            label = remote.get("label") or "附件"
            item = QListWidgetItem(f"{label}\n{type_name} · {fmt_size(int(remote.get('size') or 0))} · 中心已收到")
            item.setData(Qt.ItemDataRole.UserRole, ("remote", remote.get("attachment_id")))
            item.setToolTip(label)
            item.setIcon(QIcon(tile(type_name, "中心已收到")))
            self.list.addItem(item)
        if missing:
            Op(self, render_all, missing).success(self._thumbnails).failure(lambda _e: None).run()
        self._sync()

    def _thumbnails(self, images: dict) -> None:
        for key, image in images.items():
            self._thumbs[key] = framed(image)
        for row in range(self.list.count()):
            item = self.list.item(row)
            kind, key = item.data(Qt.ItemDataRole.UserRole)
            if kind == "local" and key in self._thumbs:
                item.setIcon(QIcon(self._thumbs[key]))

    def _sync(self) -> None:
        size = sum(e.file.size for e in self.draft.files) + sum(int(r.get("size") or 0) for r in self.draft.remote)
        count = self.file_count()
        self.summary.setText(f"共{count}个文件，{fmt_size(size)}（最多{MAX_FILES}个）" if count else "尚未添加文件")
        idle = not self.busy
        self.add_button.setEnabled(idle and count < MAX_FILES)
        self.remove_button.setEnabled(idle and bool(self.list.selectedItems()))
        self.submit_button.setEnabled(idle)
        self.back_button.setEnabled(idle)

    # -- adding and removing ----------------------------------------------------------------------

    def pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择扫描件", "", FILE_FILTER)
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths: list[str]) -> None:
        if self.busy or not paths:
            return
        self.error.clear_message()
        known = {e.file.sha256 for e in self.draft.files}
        self._set_busy(True)
        (Op(self, add_files, self.tab.spool, list(paths), self.file_count(), known)
         .with_progress("正在检查文件…")
         .success(self._added)
         .failure(self._add_refused)
         .run())

    def _added(self, result: tuple[list[ScanFile], list[str]]) -> None:
        kept, refused = result
        self._set_busy(False)
        self.draft.files.extend(DraftFile(f) for f in kept)
        if kept:
            self.tab.persist()
        self.refresh()
        if refused:
            self.error.show_error("以下文件未添加：\n" + "\n".join(refused))

    def _add_refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.show_error(message_for(exc))

    def remove_selected(self) -> None:
        chosen = [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]
        uploaded = [key for kind, key in chosen if kind == "remote"] + [
            e.attachment_id for e in self.draft.files
            if ("local", e.file.sha256) in chosen and e.attachment_id is not None]
        local = {key for kind, key in chosen if kind == "local"}
        if uploaded and not self._confirm(f"所选文件中有{len(uploaded)}个已上传到中心，删除后中心将不再保留，确定删除吗？"):
            return
        self.error.clear_message()
        if uploaded:
            self._set_busy(True)
            (Op(self, self.tab.remove_uploaded, uploaded)
             .with_progress("正在删除…")
             .success(lambda _r: self._removed(local, set(uploaded)))
             .failure(self._remove_failed)
             .run())
        else:
            self._removed(local, set())

    def _removed(self, local: set[str], uploaded: set[Any]) -> None:
        self._set_busy(False)
        for entry in [e for e in self.draft.files if e.file.sha256 in local]:
            self.draft.files.remove(entry)
            self.tab.release(entry.file)
        self.draft.remote = [r for r in self.draft.remote if r.get("attachment_id") not in uploaded]
        self.tab.persist()
        self.refresh()

    def _remove_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.show_error(message_for(exc))

    def _confirm(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "档案扫描", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("删除")
        box.button(QMessageBox.StandardButton.No).setText("取消")
        return box.exec() == QMessageBox.StandardButton.Yes

    # -- upload and submit ------------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy:
            return
        self.error.clear_message()
        if not self.file_count() and self.missing:
            self.error.show_error(self.missing)
            return
        self.progress = Progress()
        self._set_busy(True)
        self.bar.setValue(0)
        self.bar.show()
        self.bar_label.show()
        self._timer.start()
        Op(self, self.tab.run_finish, self.progress).success(self._submitted).failure(self._submit_failed).run()

    def _show_progress(self) -> None:
        if self.progress is None:
            return
        text, done, total = self.progress.snapshot()
        self.bar_label.setText(text)
        self.bar.setValue(int(done * 1000 / total) if total else 0)

    def _stop_progress(self) -> None:
        self._timer.stop()
        self._show_progress()

    def _submitted(self, detail: dict) -> None:
        self._stop_progress()
        self.bar.setValue(1000)
        self._set_busy(False)
        self.accept()
        self.tab.submitted(detail)

    def _submit_failed(self, exc: BaseException) -> None:
        self._stop_progress()
        self._set_busy(False)
        self.bar.hide()
        self.bar_label.hide()
        self.tab.persist()
        self.refresh()
        self.error.show_error(OFFLINE if isinstance(exc, CentreUnreachable) else message_for(exc))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._sync()

    def reject(self) -> None:
        """Not in the middle of an upload — unless the window locks: then the dialog goes and the upload
        carries on; its outcome is in the draft, and 提交成功 is shown once the window is unlocked."""
        lock = getattr(self.tab.main, "lock", None)
        if not self.busy or (lock is not None and lock.locked):
            super().reject()
