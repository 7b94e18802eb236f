"""The thumbnail handler on the upload fixture, with S3 and DynamoDB stubbed."""

import json
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "src" / "thumbnail"))


def test_records_each_thumbnail(monkeypatch, tmp_path):
    monkeypatch.setenv("THUMBNAILS_TABLE", "thumbnails")
    with mock.patch("boto3.client"), mock.patch("boto3.resource"):
        import app

    event = json.loads((ROOT / "events" / "uploaded-image.json").read_text())
    app.s3.download_file.side_effect = lambda bucket, key, path: Path(path).write_bytes(b"jpeg")
    app.handler(event, None)
    app.table.put_item.assert_called_once()
