"""Reading a file a run is pointed at -- a template, a var file, the configuration, an ignore file, a baseline,
a trust store -- without trusting what stands at that path.

A repository (or a flag) can put anything there: a symbolic link to ``/dev/zero`` reads forever, a FIFO or a
terminal never answers, a folder is no file. :func:`read_bounded` is the one way tlspath reads such a file: it
looks before it opens, opens without waiting (a FIFO with no writer would block the ``open`` itself), accepts
only a regular file, and reads at most its cap. Whatever is wrong comes back as :class:`Unreadable`, a few words
the caller puts in its own one-line message.
"""

from __future__ import annotations

import errno
import os
import stat

MAX_SETTINGS_BYTES = 1 << 20  # a configuration or ignore file: real ones are a few KiB
_NOT_WAITING = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class Unreadable(Exception):
    """Why a file was not read: ``a folder``, ``not a regular file``, ``larger than 1 MiB``, the system's reason."""


def read_bounded(path: str, limit: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; :class:`Unreadable` otherwise.
    ``follow_symlinks=False`` refuses a symbolic link (``a symbolic link``), as git does for ``.gitignore``."""
    try:
        _check(os.stat(path, follow_symlinks=follow_symlinks).st_mode)
        nofollow = 0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, os.O_RDONLY | _NOT_WAITING | nofollow)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    with os.fdopen(descriptor, "rb") as handle:
        _check(os.fstat(descriptor).st_mode)  # what was opened, should the path have changed meanwhile
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"larger than {_size(limit)}")
    return data


def tidy(path: str) -> str:
    """A path as reports show it, the same for every front end: without ``./`` steps or doubled slashes
    (``./main.tf`` is ``main.tf``). ``..`` steps stay: after a symbolic link they do not cancel out."""
    return path if ".." in path.split(os.sep) else os.path.normpath(path)


def from_here(path: str) -> str:
    """``path`` as the user would write it from the current folder (messages name files so); as it is when it
    lies above that folder."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def not_a_file(path: str) -> str:
    """Why nothing is read at a path given to read (one a caller found is no regular file): it is not there,
    it is a folder, or it is something else that stands there (a device such as ``/dev/zero``, a FIFO); or its
    path is past the system's length limit, which says nothing of what stands there."""
    if not os.path.exists(path):
        return TOO_LONG if past_length_limit(path) else "no such file or directory"
    return "a folder" if os.path.isdir(path) else "not a regular file"


TOO_LONG = f"cannot read file: {os.strerror(errno.ENAMETOOLONG)}"


def past_length_limit(path: str) -> bool:
    """Whether the system refuses the path as too long -- the whole path past PATH_MAX (4,096 bytes on Linux,
    1,024 on macOS), or one name in it past NAME_MAX (255 bytes): what stands there cannot be opened, so it is
    said, never passed in silence. A path of at most 255 bytes can be neither, and is never asked."""
    if len(os.fsencode(path)) <= 255:
        return False
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ENAMETOOLONG
    return False


def _check(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    raise Unreadable("a folder" if stat.S_ISDIR(mode) else "a symbolic link" if stat.S_ISLNK(mode)
                     else "not a regular file")


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"
