#!/bin/sh
# Prints a JWT for the example: RS256 with key id "example-1", signed with
# example-private-key.pem beside this script (an EXAMPLE key, never for real use), issuer
# https://issuer.example.com, audience tollgate-example, valid for one hour.
# Usage: examples/k8s/jwt/token.sh SUBJECT [PLAN]     (PLAN: premium or internal, see the policy)
# Needs openssl.
set -eu
subject=${1:?usage: token.sh SUBJECT [PLAN]}
plan=${2:-}
case "$subject$plan" in
  *[!A-Za-z0-9._@-]*) echo "token.sh: use letters, digits and . _ @ - only" >&2; exit 2 ;;
esac
key="$(dirname "$0")/example-private-key.pem"
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header='{"alg":"RS256","typ":"JWT","kid":"example-1"}'
claims=$(printf '{"iss":"https://issuer.example.com","aud":"tollgate-example","sub":"%s","iat":%s,"exp":%s%s}' \
  "$subject" "$now" "$((now + 3600))" "${plan:+,\"plan\":\"$plan\"}")
signed="$(printf '%s' "$header" | base64url).$(printf '%s' "$claims" | base64url)"
signature=$(printf '%s' "$signed" | openssl dgst -sha256 -sign "$key" -binary | base64url)
echo "$signed.$signature"
