"""A missing key names the variable to set, and the shell-safe alias when the name has none."""

from __future__ import annotations

from modelrouter import MissingApiKeyError


def test_a_shell_safe_name_is_shown_as_is() -> None:
    message = str(MissingApiKeyError("openai/gpt-5", ["OPENAI_API_KEY"]))
    assert message == "Set OPENAI_API_KEY to use openai/gpt-5 (or pass api_key=...)"


def test_a_name_no_shell_accepts_is_shown_with_the_alias_read_too() -> None:
    message = str(MissingApiKeyError("302ai/gpt-5", ["302AI_API_KEY", "OTHER_KEY"]))
    assert message.startswith("Set 302AI_API_KEY (in a shell: _302AI_API_KEY) or OTHER_KEY ")
