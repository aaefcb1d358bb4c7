"""Domain calculations: pure functions over canonical frames (progress, critical path, calendar…)."""
