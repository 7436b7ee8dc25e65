from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, with test-sized work factors."""

    time_cost = 1
    memory_cost = 1024
