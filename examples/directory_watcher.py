"""A directory watcher that says what changed: which file, created, modified, renamed or deleted.

``DirectoryWatcher.open`` starts watching at once and always keeps one read
armed, so nothing is lost between calls: here the program makes all its
changes first and only then asks what happened. A rename comes as one change
with its old and new names; an overflow (more changes than the buffer holds)
would come as ``ChangeAction.OVERFLOW``, the cue to rescan the directory.
"""

import sys
import tempfile
from pathlib import Path

import safehandles as sh


def make_changes(folder: Path) -> None:
    draft = folder / "report.txt"
    draft.write_text("first draft")  # added (and modified, as it is written)
    draft.rename(folder / "final.txt")  # renamed report.txt -> final.txt
    (folder / "final.txt").unlink()  # deleted


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with sh.DirectoryWatcher.open(
            folder, sh.ChangeFilter.FILE_NAME | sh.ChangeFilter.LAST_WRITE
        ) as watcher:
            make_changes(folder)  # nobody is asking yet: the kernel keeps the changes for us
            done = False
            while not done:
                batch = watcher.changes(timeout=10)  # [] after 10 s without a change
                if not batch:
                    print("no more changes")
                    break
                for change in batch:
                    if change.action is sh.ChangeAction.OVERFLOW:
                        print(
                            "too many changes at once: rescanning", sorted(p.name for p in folder.iterdir())
                        )
                    elif change.action is sh.ChangeAction.RENAMED:
                        print(f"renamed {change.old_path} -> {change.path}")
                    else:
                        print(f"{change.action.value} {change.path}")
                    done = change == sh.DirectoryChange(sh.ChangeAction.REMOVED, "final.txt")
        # the watcher is closed before the folder is removed: its directory handle is gone


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
