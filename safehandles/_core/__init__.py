"""The platform-neutral core: SafeHandle's state machine, its errors, and the live-handle list."""
