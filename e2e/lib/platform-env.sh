# Sourced by e2e scripts that start an extra copy of a service next to the local platform: prints the environment
# the platform launcher hands its services (Kafka, MongoDB, S3, Keycloak), read from the platform's state file.
# Usage: env $(platform_env) java -jar ...
platform_env() {
  python3 - "$MAIL_DATA_DIR/state.properties" <<'PY'
import sys
props = {}
for line in open(sys.argv[1], encoding="latin-1"):
    if line.startswith("#") or "=" not in line:
        continue
    key, value = line.rstrip("\n").split("=", 1)
    props[key.replace("\\", "")] = value.replace("\\:", ":").replace("\\=", "=").replace("\\\\", "\\")
env = {
    "KAFKA_BOOTSTRAP_SERVERS": props["kafka.bootstrap"],
    "MAIL_KAFKA_BOOTSTRAP_SERVERS": props["kafka.bootstrap"],
    "MAIL_MONGO_URI": props["mongo.uri"],
    "MAIL_S3_ENDPOINT": props["s3.endpoint"],
    "MAIL_S3_ACCESS_KEY": props["s3.access-key"],
    "MAIL_S3_SECRET_KEY": props["s3.secret-key"],
    "MAIL_KEYCLOAK_REALM_URL": props["keycloak.realm-url"],
    "MAIL_KEYCLOAK_CLIENT_SECRET": props["keycloak.services-secret"],
}
print(" ".join("%s=%s" % kv for kv in env.items()))
PY
}
