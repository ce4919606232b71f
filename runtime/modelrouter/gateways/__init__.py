"""Gateways: where the catalogue's providers and models come from."""

from __future__ import annotations

from modelrouter.gateways.base import ModelGateway, ModelInfo, ProviderConfig

__all__ = ["ModelGateway", "ModelInfo", "ProviderConfig"]
