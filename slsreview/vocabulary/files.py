"""The local file system: the temporary folder, the calls that write files and the ones that
remove them.

A value that names a place in the temporary folder carries a ``Source`` of kind ``tmp``: a
string literal under ``/tmp`` (Lambda's only writable folder; the source's name is the whole
literal, so ``"/tmp/model.bin"`` names one fixed file while ``"/tmp"`` and ``"/tmp/"`` are the
folder), an f-string or template literal that starts there (named ``/tmp``), and the results of
the calls in ``TEMP_DIRS`` (``tempfile.gettempdir()``, ``tempfile.mkstemp()``, ``os.tmpdir()``,
``fs.mkdtempSync(...)``..., named by the call). Joining, formatting or concatenating keeps the
source, as for any other. A call that writes a file is the ``Call`` named ``fs.write``; one that opens a file,
``fs.open`` (``open(path, "w")``: its mode is the second argument or the ``mode`` keyword, or
the ``flags`` of ``fs.open(path, flags)``); one that removes a file or a folder, ``fs.remove``.
The path is the first argument (see ``WRITE_PATH_ARGUMENT`` for the copies).

    >>> from slsreview.vocabulary.spelling import spellings
    >>> spellings(FILE_CALLS, "python")["open"], spellings(FILE_CALLS, "javascript")["fs.writeFileSync"]
    ('fs.open', 'fs.write')
"""

from __future__ import annotations

from slsreview.vocabulary.spelling import Word

TEMP_PREFIX = "/tmp"  # a literal path that is, or is under, this folder is a temporary one
FS_OPEN = "fs.open"  # writes when its mode says so ("w", "a", "x", "+")
FS_WRITE = "fs.write"
FS_REMOVE = "fs.remove"

# Calls whose result is a place in the temporary folder (a path, or a (fd, path) pair). Those
# that also create it are in CREATES_TEMP. TemporaryDirectory and TemporaryFile are absent on
# purpose: they delete what they made when closed.
TEMP_DIRS: tuple[Word, ...] = (
    Word("tempfile.gettempdir", python=("tempfile.gettempdir",)),
    Word("tempfile.mkstemp", python=("tempfile.mkstemp",)),
    Word("tempfile.mkdtemp", python=("tempfile.mkdtemp",)),
    Word("tempfile.NamedTemporaryFile", python=("tempfile.NamedTemporaryFile",)),
    Word("os.tmpdir", javascript=("os.tmpdir",)),
    Word("fs.mkdtemp", javascript=("fs.mkdtemp", "fs.mkdtempSync", "fs.promises.mkdtemp", "fs/promises.mkdtemp")),
)
# Of those, the ones that create a file or folder that stays until someone removes it
# (NamedTemporaryFile only with delete=False: see TEMP_KEEPS).
CREATES_TEMP = frozenset({"tempfile.mkstemp", "tempfile.mkdtemp", "fs.mkdtemp", "tempfile.NamedTemporaryFile"})
TEMP_KEEPS = ("delete", False)  # NamedTemporaryFile(delete=False) keeps its file

FILE_CALLS: tuple[Word, ...] = (
    Word(
        FS_OPEN,
        python=("open", "io.open", "builtins.open"),
        javascript=("fs.open", "fs.openSync", "fs.promises.open", "fs/promises.open"),
    ),
    Word(
        FS_WRITE,
        python=("shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree"),
        javascript=(
            "fs.writeFile",
            "fs.writeFileSync",
            "fs.appendFile",
            "fs.appendFileSync",
            "fs.createWriteStream",
            "fs.copyFile",
            "fs.copyFileSync",
            "fs.promises.writeFile",
            "fs.promises.appendFile",
            "fs.promises.copyFile",
            "fs/promises.writeFile",
            "fs/promises.appendFile",
            "fs/promises.copyFile",
        ),
    ),
    Word(
        FS_REMOVE,
        python=("os.remove", "os.unlink", "os.rmdir", "shutil.rmtree"),
        javascript=(
            "fs.unlink",
            "fs.unlinkSync",
            "fs.rm",
            "fs.rmSync",
            "fs.rmdir",
            "fs.rmdirSync",
            "fs.promises.unlink",
            "fs.promises.rm",
            "fs.promises.rmdir",
            "fs/promises.unlink",
            "fs/promises.rm",
            "fs/promises.rmdir",
        ),
    ),
)
# The path a call writes to, when it is not the first argument: shutil.copy(src, dst).
WRITE_PATH_ARGUMENT = {"shutil.copy": 1, "shutil.copy2": 1, "shutil.copyfile": 1, "shutil.copytree": 1,
                       "fs.copyFile": 1, "fs.copyFileSync": 1, "fs.promises.copyFile": 1, "fs/promises.copyFile": 1}  # fmt: skip
# Methods that download an object into a local file, whose path is the argument named here
# (boto3's S3 transfer: client.download_file(Bucket, Key, Filename), bucket.download_file(Key, Filename)).
DOWNLOAD_METHODS = {"download_file": "Filename"}
# The characters of an open() mode (Python) or fs.open() flags (Node.js) that write.
WRITE_MODE_CHARACTERS = frozenset("wax+")
