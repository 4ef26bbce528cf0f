"""Real-framework checks for `keysmith rotate` (driven by test/frameworks/rotate.test.ts).

Usage: python frameworks.py <framework> <phase> <dir>
  framework: django | flask | fernet | jwt
  phase:     sign    (before rotation: sign/encrypt with the current keys, save tokens in <dir>/state.json)
             verify  (after rotation: old tokens still verify, new ones use the new key)
             trimmed (fernet, after a second rotation with --keep 2: the oldest key is gone)

Settings are read from <dir>/.env with python-dotenv (never from os.environ), the way the README's
"Rotating secrets" snippets read them from the environment. Exit status 0 = every assertion held;
failures print which assertion failed (never a key).
"""
import json
import os
import sys

from dotenv import dotenv_values


def env_list(value):
    """A comma-separated list from the environment, newest first (the README snippet)."""
    return [k for k in (value or "").split(",") if k]


def load(dirname):
    return dotenv_values(os.path.join(dirname, ".env"))


def state_path(dirname):
    return os.path.join(dirname, "state.json")


def save_state(dirname, data):
    with open(state_path(dirname), "w") as f:
        json.dump(data, f)


def load_state(dirname):
    with open(state_path(dirname)) as f:
        return json.load(f)


def check(cond, what):
    if not cond:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Django 4.1+: SECRET_KEY_FALLBACKS


def django_setup(env):
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY=env["SECRET_KEY"],
        SECRET_KEY_FALLBACKS=env_list(env.get("SECRET_KEY_FALLBACKS")),
        INSTALLED_APPS=["django.contrib.sessions"],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        USE_TZ=True,
    )
    django.setup()
    return settings


def django_phase(phase, dirname):
    env = load(dirname)
    settings = django_setup(env)
    from django.core import signing
    from django.core.checks.security.base import check_secret_key, check_secret_key_fallbacks
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    check(check_secret_key(None) == [], "the SECRET_KEY passes Django's check W009")
    if phase == "sign":
        session = SessionStore()
        session["user"] = "alice"
        session.save()
        save_state(dirname, {
            "signed": signing.dumps({"user": "alice"}),
            "session": session.session_key,
            "key_len": len(settings.SECRET_KEY),
        })
        return
    state = load_state(dirname)
    check(len(settings.SECRET_KEY_FALLBACKS) >= 1, "SECRET_KEY_FALLBACKS is a non-empty list")
    check(check_secret_key_fallbacks(None) == [], "every fallback passes Django's check W025")
    check(signing.loads(state["signed"]) == {"user": "alice"}, "a value signed with the old key still loads")
    check(SessionStore(session_key=state["session"]).load().get("user") == "alice", "a session signed with the old key still loads")
    fresh = signing.dumps({"user": "bob"})
    check(signing.loads(fresh, key=settings.SECRET_KEY, fallback_keys=[]) == {"user": "bob"}, "new signatures use the new key")
    for old in settings.SECRET_KEY_FALLBACKS:
        try:
            signing.loads(fresh, key=old, fallback_keys=[])
        except signing.BadSignature:
            continue
        check(False, "a new signature does not verify with an old key")
    try:
        signing.loads(state["signed"], key=settings.SECRET_KEY, fallback_keys=[])
        check(False, "the old signature does not verify with the new key alone")
    except signing.BadSignature:
        pass


# ---------------------------------------------------------------------------------------------
# Flask >= 3.1.1 (SECRET_KEY_FALLBACKS) and itsdangerous key lists


def flask_app(env):
    from flask import Flask, session

    app = Flask("keysmith_rotation_test")
    app.config["SECRET_KEY"] = env["SECRET_KEY"]
    app.config["SECRET_KEY_FALLBACKS"] = env_list(env.get("SECRET_KEY_FALLBACKS"))

    @app.post("/login")
    def login():
        session["user"] = "alice"
        return "ok"

    @app.get("/me")
    def me():
        return session.get("user", "nobody")

    return app


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def flask_phase(phase, dirname):
    from importlib.metadata import version
    from itsdangerous import BadSignature, URLSafeTimedSerializer

    parts = tuple(int(p) for p in version("flask").split(".")[:3])
    check(parts >= (3, 1, 1), "Flask is 3.1.1 or newer (3.1.0 signed with the wrong key, CVE-2025-47278)")
    env = load(dirname)
    app = flask_app(env)
    if phase == "sign":
        client = app.test_client()
        client.post("/login")
        save_state(dirname, {
            "cookie": session_cookie(client),
            "token": URLSafeTimedSerializer(env["SECRET_KEY"], salt="reset").dumps({"user": "alice"}),
        })
        return
    state = load_state(dirname)
    fallbacks = env_list(env.get("SECRET_KEY_FALLBACKS"))
    check(len(fallbacks) >= 1, "SECRET_KEY_FALLBACKS is a non-empty list")
    client = app.test_client()
    client.set_cookie("session", state["cookie"])
    check(client.get("/me").get_data(as_text=True) == "alice", "a session cookie signed with the old key still loads")
    # A new session is signed with the new key: an app knowing only the new key reads it, one
    # knowing only the old keys does not.
    client = app.test_client()
    client.post("/login")
    fresh = session_cookie(client)
    only_new = flask_app({"SECRET_KEY": env["SECRET_KEY"]}).test_client()
    only_new.set_cookie("session", fresh)
    check(only_new.get("/me").get_data(as_text=True) == "alice", "a new session cookie is signed with the new key")
    only_old = flask_app({"SECRET_KEY": fallbacks[0]}).test_client()
    only_old.set_cookie("session", fresh)
    check(only_old.get("/me").get_data(as_text=True) == "nobody", "a new session cookie does not verify with the old key")
    # itsdangerous key list: oldest first, the last key signs (the README snippet).
    keys = [*reversed(fallbacks), env["SECRET_KEY"]]
    serializer = URLSafeTimedSerializer(keys, salt="reset")
    check(serializer.loads(state["token"]) == {"user": "alice"}, "an itsdangerous token signed with the old key loads with the key list")
    new_token = serializer.dumps({"user": "bob"})
    check(URLSafeTimedSerializer(env["SECRET_KEY"], salt="reset").loads(new_token) == {"user": "bob"}, "the key list signs with the new key")
    try:
        URLSafeTimedSerializer(fallbacks[0], salt="reset").loads(new_token)
        check(False, "a new token does not verify with the old key")
    except BadSignature:
        pass


# ---------------------------------------------------------------------------------------------
# pyca cryptography MultiFernet


def fernet_phase(phase, dirname):
    from cryptography.fernet import Fernet, InvalidToken, MultiFernet

    env = load(dirname)
    keys = env_list(env["FERNET_KEYS"])
    multi = MultiFernet([Fernet(k) for k in keys])
    if phase == "sign":
        save_state(dirname, {"token": multi.encrypt(b"attack at dawn").decode(), "first": keys[0]})
        return
    state = load_state(dirname)
    check(keys[0] != state["first"], "a new key is first in the list")
    if phase == "verify":
        check(state["first"] in keys, "the old key is still in the list")
        check(multi.decrypt(state["token"].encode()) == b"attack at dawn", "a token encrypted with the old key decrypts with MultiFernet")
        rotated = multi.rotate(state["token"].encode())
        check(Fernet(keys[0]).decrypt(rotated) == b"attack at dawn", "rotate() re-encrypts with the new key")
        try:
            Fernet(state["first"]).decrypt(rotated)
            check(False, "a rotated token does not decrypt with the old key")
        except InvalidToken:
            pass
        fresh = multi.encrypt(b"new")
        check(Fernet(keys[0]).decrypt(fresh) == b"new", "new tokens use the new key")
        save_state(dirname, {**state, "rotated": rotated.decode()})
    else:  # "trimmed": rotated once more with --keep 2, the oldest key is gone
        check(state["first"] not in keys, "the oldest key left the list")
        try:
            multi.decrypt(state["token"].encode())
            check(False, "a token of the dropped key no longer decrypts")
        except InvalidToken:
            pass
        check(multi.decrypt(state["rotated"].encode()) == b"attack at dawn", "a token rotate() moved to the previous key still decrypts")


# ---------------------------------------------------------------------------------------------
# A JWT verifier with a grace period: the current key signs, the previous one still verifies


def jwt_keys(env):
    return [env["JWT_SECRET"], *env_list(env.get("JWT_SECRET_PREVIOUS"))]


def jwt_decode(token, keys):
    import jwt

    for key in keys:
        try:
            return jwt.decode(token, key, algorithms=["HS256"])
        except jwt.InvalidSignatureError:
            continue
    raise jwt.InvalidSignatureError("no key verifies")


def jwt_phase(phase, dirname):
    import jwt

    env = load(dirname)
    if phase == "sign":
        save_state(dirname, {"token": jwt.encode({"sub": "alice"}, env["JWT_SECRET"], algorithm="HS256")})
        return
    state = load_state(dirname)
    keys = jwt_keys(env)
    check(len(keys) == 2, "one previous key is kept")
    check(jwt_decode(state["token"], keys)["sub"] == "alice", "a token signed with the old key still verifies")
    fresh = jwt.encode({"sub": "bob"}, keys[0], algorithm="HS256")
    check(jwt.decode(fresh, keys[0], algorithms=["HS256"])["sub"] == "bob", "new tokens use the new key")
    try:
        jwt.decode(fresh, keys[1], algorithms=["HS256"])
        check(False, "a new token does not verify with the previous key")
    except jwt.InvalidSignatureError:
        pass


if __name__ == "__main__":
    framework, phase, dirname = sys.argv[1:4]
    {"django": django_phase, "flask": flask_phase, "fernet": fernet_phase, "jwt": jwt_phase}[framework](phase, dirname)
    print(f"ok: {framework} {phase}")
