"""Downloading and caching files (``keras.utils.get_file``).

Contract:

* The cache root is ``cache_dir`` if given, else ``$KERAS_HOME``, else
  ``~/.keras``; when that cannot be created or written, ``<tmpdir>/.keras``.
  Files land in ``<root>/<cache_subdir>/<fname>``; an absolute ``cache_subdir``
  or ``fname`` is used as is.
* A file already in the cache is reused without touching the network when it
  matches ``file_hash`` (or when no hash is given). A cached file whose hash
  does not match is downloaded again.
* Downloads stream into a temporary file next to the target and are renamed
  over it only once complete and verified (``utils.atomic_files``), so
  neither an interrupted transfer nor a checksum mismatch ever leaves a
  (partial or wrong) file at the target.
* A failed transfer raises :class:`DownloadError` naming the URL and the path
  where the file can be placed by hand; a checksum mismatch raises
  ``ValueError`` naming the expected and actual hashes.
"""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from torkeras.utils.atomic_files import atomic_write

__all__ = [
    "DownloadError",
    "get_file",
    "hash_file",
    "keras_cache_dir",
    "resolve_hasher",
    "validate_file",
]

_CHUNK = 1 << 20
_TIMEOUT = 60  # seconds without progress before a stalled transfer fails


class DownloadError(OSError):
    """Fetching a file from its origin failed (network, HTTP error, ...)."""


def keras_cache_dir(cache_dir=None):
    """The writable cache root: ``cache_dir`` / ``$KERAS_HOME`` / ``~/.keras``."""
    if cache_dir is None:
        cache_dir = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    base = os.path.expanduser(os.fspath(cache_dir))
    try:
        os.makedirs(base, exist_ok=True)
        writable = os.access(base, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        base = os.path.join(tempfile.gettempdir(), ".keras")
        os.makedirs(base, exist_ok=True)
    return base


def resolve_hasher(algorithm, file_hash=None):
    """A fresh hashlib object for ``"sha256"``, ``"md5"`` or ``"auto"``.

    ``"auto"`` means sha256 for a 64-character hash and md5 otherwise.
    """
    algorithm = (algorithm or "auto").lower()
    if algorithm == "auto":
        algorithm = "sha256" if file_hash is not None and len(file_hash) == 64 else "md5"
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "md5":
        return hashlib.md5()
    raise ValueError(
        f"hash_algorithm must be 'auto', 'sha256' or 'md5'; got {algorithm!r}."
    )


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK):
    """Hex digest of a file (``algorithm``: ``"sha256"`` or ``"md5"``)."""
    hasher = resolve_hasher(algorithm)
    with open(fpath, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            hasher.update(block)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK):
    """Whether the file at ``fpath`` has hash ``file_hash``."""
    hasher = resolve_hasher(algorithm, file_hash)
    return hash_file(fpath, hasher.name, chunk_size) == str(file_hash).lower()


def _origin_basename(origin):
    path = urllib.parse.urlsplit(origin).path
    name = os.path.basename(urllib.parse.unquote(path))
    if not name:
        raise ValueError(
            f"Cannot derive a file name from origin {origin!r}; pass `fname`."
        )
    return name


def _download(origin, target, file_hash, hash_algorithm):
    """Stream ``origin`` into ``target`` atomically; verify the hash if given."""
    hasher = resolve_hasher(hash_algorithm, file_hash) if file_hash else None

    def fetch(tmp_path):
        with open(tmp_path, "wb") as out:
            writing = False  # tells local write errors from fetch errors
            try:
                with urllib.request.urlopen(origin, timeout=_TIMEOUT) as response:
                    for block in iter(lambda: response.read(_CHUNK), b""):
                        writing = True
                        out.write(block)
                        writing = False
                        if hasher is not None:
                            hasher.update(block)
            except urllib.error.HTTPError as e:
                raise DownloadError(
                    f"Download failed: HTTP error {e.code} ({e.reason}) fetching "
                    f"{origin}. You can download the file yourself and place it "
                    f"at {target}"
                ) from e
            except (urllib.error.URLError, OSError, ValueError) as e:
                if writing:
                    raise
                reason = getattr(e, "reason", None) or e
                raise DownloadError(
                    f"Download failed: could not fetch {origin} ({reason}). "
                    f"If you are offline, download the file elsewhere and "
                    f"place it at {target}"
                ) from e
        if hasher is not None:
            actual = hasher.hexdigest()
            if actual != str(file_hash).lower():
                raise ValueError(
                    f"Incomplete or corrupted file downloaded from {origin}: "
                    f"expected {hasher.name} {file_hash}, got {actual}. "
                    f"The file was not saved to {target}."
                )

    atomic_write(target, fetch)


def _archive_kind(path, archive_format):
    if archive_format is None:
        return None
    if archive_format == "auto":
        formats = ["tar", "zip"]
    elif isinstance(archive_format, str):
        formats = [archive_format]
    else:
        formats = list(archive_format)
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(path):
            return "tar"
        if kind == "zip" and zipfile.is_zipfile(path):
            return "zip"
    return None


def _inside(root, member_name):
    root = os.path.realpath(root)
    dest = os.path.realpath(os.path.join(root, member_name))
    return dest == root or dest.startswith(root + os.sep)


def _extract_archive(path, dest, archive_format="auto"):
    """Extract ``path`` into the directory ``dest`` (atomically). Returns
    whether it was an archive."""
    kind = _archive_kind(path, archive_format)
    if kind is None:
        return False
    parent = os.path.dirname(dest) or "."
    tmp_dir = tempfile.mkdtemp(dir=parent, prefix="." + os.path.basename(dest) + ".")
    try:
        if kind == "tar":
            with tarfile.open(path) as archive:
                if hasattr(tarfile, "data_filter"):
                    # Rejects absolute paths, "..", links leaving the
                    # directory, devices and set-uid bits.
                    archive.extractall(tmp_dir, filter="data")
                else:  # pragma: no cover - Python without PEP 706
                    for m in archive.getmembers():
                        link = os.path.join(os.path.dirname(m.name), m.linkname)
                        if not _inside(tmp_dir, m.name) or (
                            (m.issym() or m.islnk()) and not _inside(tmp_dir, link)
                        ):
                            raise ValueError(
                                f"Refusing to extract {m.name!r} from {path}: "
                                f"it points outside the extraction directory."
                            )
                    archive.extractall(tmp_dir)
        else:
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if not _inside(tmp_dir, name):
                        raise ValueError(
                            f"Refusing to extract {name!r} from {path}: it "
                            f"points outside the extraction directory."
                        )
                archive.extractall(tmp_dir)
        if os.path.isdir(dest):
            shutil.rmtree(dest)
        os.replace(tmp_dir, dest)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    return True


_ARCHIVE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tar", ".zip")


def _extraction_dir(fpath):
    for suffix in _ARCHIVE_SUFFIXES:
        if fpath.endswith(suffix) and len(fpath) > len(suffix):
            return fpath[: -len(suffix)]
    return fpath + "_extracted"


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Download a file from ``origin`` unless it is already in the cache.

    Args:
        fname: local file name (default: the last component of ``origin``).
            An absolute path is used as is.
        origin: URL of the file (``http(s)://``, ``file://``, ...).
        untar: deprecated alias of ``extract=True``.
        md5_hash: deprecated alias of ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: expected sha256 or md5 hex digest of the file.
        cache_subdir: sub-directory of the cache root (absolute paths allowed).
        hash_algorithm: ``"auto"`` (by hash length), ``"sha256"`` or ``"md5"``.
        extract: extract a tar/zip archive next to the file and return the
            extraction directory.
        archive_format: ``"auto"``, ``"tar"``, ``"zip"`` or a list of those.
        cache_dir: cache root (default ``$KERAS_HOME`` or ``~/.keras``).
        force_download: download again even if a valid cached file exists.

    Returns:
        The local path of the file (or of the extracted directory).
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    origin = os.fspath(origin) if not isinstance(origin, str) else origin
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    if file_hash is not None:
        file_hash = str(file_hash).strip().lower()
        resolve_hasher(hash_algorithm, file_hash)  # validate the algorithm early
    extract = bool(extract or untar)

    if fname is None:
        fname = _origin_basename(origin)
    fname = os.path.expanduser(os.fspath(fname))
    if os.path.isabs(fname):
        datadir = os.path.dirname(fname)
    else:
        cache_subdir = os.path.expanduser(os.fspath(cache_subdir or ""))
        if os.path.isabs(cache_subdir):
            datadir = cache_subdir
        else:
            datadir = os.path.join(keras_cache_dir(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    fpath = os.path.join(datadir, fname)
    os.makedirs(os.path.dirname(fpath), exist_ok=True)

    need_download = True
    if os.path.isfile(fpath) and not force_download:
        if file_hash is None or validate_file(fpath, file_hash, hash_algorithm):
            need_download = False
        else:
            algo = resolve_hasher(hash_algorithm, file_hash).name
            warnings.warn(
                f"The cached file {fpath} does not match the expected {algo} "
                f"hash {file_hash}; downloading it again from {origin}.",
                stacklevel=2,
            )

    if need_download:
        print(f"Downloading data from {origin}")
        _download(origin, fpath, file_hash, hash_algorithm)

    if extract:
        dest = _extraction_dir(fpath)
        if need_download or not os.path.isdir(dest):
            if not _extract_archive(fpath, dest, archive_format):
                raise ValueError(
                    f"extract=True but {fpath} is not a {archive_format!r} archive."
                )
        return dest
    return fpath
