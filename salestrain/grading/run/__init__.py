"""Running untrusted notebooks: the sandbox and the launcher inside it."""
