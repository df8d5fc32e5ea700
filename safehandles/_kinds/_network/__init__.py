"""Kinds for the network: Winsock sockets."""
