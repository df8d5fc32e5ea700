"""Kinds for security: access tokens, window stations and desktops."""
