"""tlspath: follows API Gateway integrations to the certificate that terminates their TLS."""

__version__ = "0.1.0"
