"""Atomic file writes: the one way torkeras replaces a file.

`atomic_write(path, write_fn)` has `write_fn` write a temporary file beside
the target and renames it over the target only once it is complete and
synced, so a reader (or a later load) sees the old file or the new one,
never a partial one.

Contract:

* The temporary file is `.<target name>.tmp-<host>-<pid>-<random>` in the
  target's directory (same file system, so the rename is atomic; `<host>` is
  a hash of the host name). A write that fails removes it. A writer killed
  outright (kill -9, power loss) cannot, so every write first removes the
  leftovers of earlier writes to the same target: files of exactly that
  pattern whose writer process no longer runs on this host, or that nobody
  has written to for `STALE_AFTER_SECONDS` (a writer on another host sharing
  the directory, or a reused pid). A concurrent writer's temporary file is
  never touched: its process is alive and it is being written.
* A target that is a symlink is written through: the file it points to is
  replaced and the link stays a link.
* The new file gets the permissions a plain `open(path, "w")` would give it:
  those of the file it replaces, else 0o666 less the process's umask (0o644
  under umask 022), not the 0o600 of `tempfile.mkstemp`.
* An `OSError` while writing names the target (`[Errno 28] Could not save
  (No space left on device): 'model.keras'`), not the temporary file; the
  target is left as it was.
"""

import errno
import os
import re
import socket
import stat
import tempfile
import threading
import time
import zlib

__all__ = ["atomic_write", "atomic_write_bytes", "remove_stale_temp_files",
           "STALE_AFTER_SECONDS"]

# A temporary file untouched this long is a leftover whoever wrote it.
STALE_AFTER_SECONDS = 3600

_HOST_TAG = format(zlib.crc32(socket.gethostname().encode("utf-8", "replace")), "08x")


def _temp_prefix(target_name):
    return f".{target_name}.tmp-{_HOST_TAG}-{os.getpid()}-"


def _temp_name_pattern(target_name):
    # mkstemp appends 8 characters of [a-z0-9_].
    return re.compile(r"\." + re.escape(target_name) +
                      r"\.tmp-(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]+)-[a-z0-9_]+\Z")


_UMASK_LOCK = threading.Lock()


def _current_umask():
    """The process's umask, read without changing it where Linux shows it
    (/proc/self/status); elsewhere set and restored under a lock."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _new_file_mode(target):
    """Permission bits for a file written to `target`: those of the file it
    replaces, else what creating it with open() would give."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_current_umask()


def _process_running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists, under another user
        return True
    return True


def remove_stale_temp_files(target):
    """Removes the temporary files that interrupted writes to `target` left
    behind (see the module's contract); other files are never touched."""
    directory, name = os.path.split(os.path.realpath(os.fspath(target)))
    pattern = _temp_name_pattern(name)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        writer_gone = match["host"] == _HOST_TAG and not _process_running(int(match["pid"]))
        if writer_gone or now - info.st_mtime > STALE_AFTER_SECONDS:
            try:
                os.unlink(entry.path)
            except OSError:
                pass  # removed by a concurrent cleanup, or not ours to remove


def atomic_write(filepath, write_fn):
    """Calls `write_fn(tmp_path)` to write a temporary file beside `filepath`
    (through a symlink: beside the file it points to), syncs it, and renames
    it over that file. On any failure the temporary file is removed, the
    target is left as it was, and an `OSError` names `filepath`."""
    filepath = os.fspath(filepath)
    target = os.path.realpath(filepath)
    directory, name = os.path.split(target)
    if not os.path.isdir(directory):
        raise FileNotFoundError(errno.ENOENT, f"Cannot save to {filepath!r}: directory "
                                f"{directory!r} does not exist")
    remove_stale_temp_files(target)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(name), dir=directory)
        os.close(fd)
        write_fn(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        # After writing: the mode may not allow writing (a read-only target).
        os.chmod(tmp, _new_file_mode(target))
        os.replace(tmp, target)
    except BaseException as error:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(error, OSError):
            about_target = _naming_target(error, tmp, filepath)
            if about_target is not error:
                raise about_target.with_traceback(error.__traceback__) from None
        raise


def atomic_write_bytes(filepath, data):
    """`atomic_write` of the bytes `data`."""
    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(data)
    atomic_write(filepath, write)


def _naming_target(error, tmp, filepath):
    """`error`, raised while writing the temporary file `tmp` (None: while
    creating it), re-made to name `filepath`; other errors (e.g. reading a
    source file) are returned unchanged."""
    if error.errno is not None and (tmp is None or error.filename in (None, tmp)):
        return OSError(error.errno, f"Could not save ({error.strerror})", filepath)
    if tmp is not None and tmp in str(error):
        # e.g. h5py's "Unable to create file (... name = '<tmp>' ...)"
        message = str(error).replace(tmp, filepath)
        try:
            return type(error)(message)
        except TypeError:
            return OSError(message)
    return error
