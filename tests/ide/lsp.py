"""Ask a language server for completions, driven by pytest-lsp's client (pygls + lsprotocol)."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client

CURSOR = "<|>"


def _position(text: str) -> types.Position:
    before = text[: text.index(CURSOR)]
    return types.Position(line=before.count("\n"), character=len(before.rsplit("\n", 1)[-1]))


def _tolerate_notebook_sync(client: LanguageClient) -> None:
    """ty and pyrefly announce `notebookDocumentSync` in a shape lsprotocol 2025.0 rejects;
    we open no notebooks, so that one capability is dropped before the rest is read."""
    converter = client.protocol._converter  # pyright: ignore[reportPrivateUsage]
    read = converter.get_structure_hook(types.ServerCapabilities)

    def lenient(data: dict[str, Any], cls: type[types.ServerCapabilities]) -> Any:
        return read({k: v for k, v in data.items() if k != "notebookDocumentSync"}, cls)

    converter.register_structure_hook(types.ServerCapabilities, lenient)


async def _complete(
    command: Sequence[str], root: Path, text: str, expect: Sequence[str], timeout: float
) -> list[str]:
    client = make_test_lsp_client()

    # Servers register watchers and capabilities dynamically; accepting is all a client owes.
    @client.feature(types.CLIENT_REGISTER_CAPABILITY)  # type: ignore[untyped-decorator]
    def _register(params: types.RegistrationParams) -> None:
        return None

    @client.feature(types.CLIENT_UNREGISTER_CAPABILITY)  # type: ignore[untyped-decorator]
    def _unregister(params: types.UnregistrationParams) -> None:
        return None

    client.set_configuration(
        {"pythonPath": sys.executable, "analysis": {"typeCheckingMode": "off"}}, section="python"
    )
    _tolerate_notebook_sync(client)
    await client.start_io(command[0], *command[1:], cwd=str(root))
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            )
        )
        document = root / "completion_probe.py"
        uri = document.as_uri()
        source = text.replace(CURSOR, "")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=source
                )
            )
        )
        where = types.TextDocumentPositionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=_position(text)
        )
        labels: list[str] = []
        deadline = time.monotonic() + timeout
        # A server may answer before it has analysed the catalogue: ask until it offers
        # what we expect or the deadline passes.
        while time.monotonic() < deadline:
            result = await client.text_document_completion_async(
                types.CompletionParams(text_document=where.text_document, position=where.position)
            )
            items = result.items if isinstance(result, types.CompletionList) else result or []
            labels = [item.label.strip("\"'") for item in items]
            if all(label in labels for label in expect):
                break
            await asyncio.sleep(1.0)
        return labels
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]


def complete(
    command: Sequence[str], root: Path, text: str, expect: Sequence[str] = (), timeout: float = 240
) -> list[str]:
    """Labels the server offers at `<|>` in `text` (a file opened in `root`)."""
    return asyncio.run(_complete(command, root, text, expect, timeout))
