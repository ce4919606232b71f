"""`python -m modelrouter_generator` == the `modelrouter` console script."""

from __future__ import annotations

from modelrouter_generator.cli import main

raise SystemExit(main())
