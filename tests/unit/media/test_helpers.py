"""`image()`, `file()`, `audio()` build parts from URLs, bytes and paths; bad input is named."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, cast

import pytest

from modelrouter import ConfigurationError, audio, file, image
from modelrouter._validate import check_prompt

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_url_is_kept_as_a_reference() -> None:
    assert image("https://x.test/cat.png") == {"type": "image", "url": "https://x.test/cat.png"}
    assert file("http://x.test/a.pdf", "application/pdf") == {
        "type": "file",
        "url": "http://x.test/a.pdf",
        "media_type": "application/pdf",
    }


def test_bytes_are_encoded_once_with_a_sniffed_or_given_type() -> None:
    assert image(PNG) == {"type": "image", "data": b64(PNG), "media_type": "image/png"}
    assert image(b"\xff\xd8\xff\xe0", detail="low").get("media_type") == "image/jpeg"
    assert file(PDF).get("media_type") == "application/pdf"
    assert audio(WAV) == {"type": "audio", "data": b64(WAV), "media_type": "audio/wav"}
    assert file(b"a,b\n1,2", "text/csv").get("media_type") == "text/csv"
    assert image(bytearray(PNG)).get("data") == b64(PNG)


def test_a_path_gives_its_bytes_type_and_name(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(PDF)
    part = file(path)
    assert part == {
        "type": "file",
        "data": b64(PDF),
        "media_type": "application/pdf",
        "filename": "report.pdf",
    }
    assert file(str(path), filename="q3.pdf").get("filename") == "q3.pdf"
    picture = tmp_path / "cat.png"
    picture.write_bytes(PNG)
    assert image(picture).get("media_type") == "image/png"


def test_a_data_url_is_split_into_type_and_data() -> None:
    assert image(f"data:image/png;base64,{b64(PNG)}") == {
        "type": "image",
        "data": b64(PNG),
        "media_type": "image/png",
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: image(b"no magic here"), r"image\(media_type=\.\.\.\) is needed"),
        (lambda: file("/no/such/file.pdf"), r"file\(source=\.\.\.\): cannot read '/no/such"),
        (lambda: image("data:image/png,notbase64"), "a data URL must be"),
        (lambda: image(PDF), r"image\(media_type='application/pdf'\) is not an image/"),
        (lambda: audio(PNG), r"audio\(media_type='image/png'\) is not an audio/"),
        (
            lambda: image(cast(Any, 12)),
            r"image\(source=\.\.\.\) takes a URL, bytes or a path, not int",
        ),
    ],
)
def test_bad_sources_are_configuration_errors_naming_the_parameter(call: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        call()


def test_a_helpers_part_passes_the_prompt_checks() -> None:
    check_prompt([{"role": "user", "content": [{"type": "text", "text": "?"}, image(PNG)]}])


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ({"type": "image"}, r"prompt\[0\]\['content'\]\[0\] is an image part: give exactly one"),
        ({"type": "file", "url": "u", "data": "d"}, "exactly one of 'url' and 'data'"),
        ({"type": "audio", "data": b"raw"}, r"\['data'\] must be a str, got bytes"),
        ({"type": "image", "data": "aGk="}, r"\['media_type'\] is needed beside 'data'"),
        ({"type": "image", "url": "u", "detail": "max"}, r"\['detail'\] must be 'auto'"),
        ({"type": "file", "url": "u", "filename": 3}, r"\['filename'\] must be a str"),
    ],
)
def test_hand_written_media_parts_are_checked_at_the_boundary(
    part: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        check_prompt([{"role": "user", "content": [part]}])


def test_import_modelrouter_does_not_load_mimetypes() -> None:
    # base64 is loaded by the standard library modules modelrouter needs anyway.
    import subprocess
    import sys

    code = (
        "import sys, modelrouter; " "print(sorted(m for m in ('mimetypes',) if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
