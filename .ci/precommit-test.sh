#!/usr/bin/env bash
# Drives the real pre-commit against this repository's hook: a staged bad file fails with
# the diagnostic, a staged good file passes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
mkdir "$work/project" && cd "$work/project"
git init --quiet
git config user.email ci@example.invalid
git config user.name ci
cat > bad.tf <<'TF'
resource "aws_kms_key" "data" {
  enable_key_rotation = false
}
TF
git add bad.tf
set +e
out=$(pre-commit try-repo "$repo" iacguard --files bad.tf 2>&1)
rc=$?
set -e
echo "$out" | tail -20
[ "$rc" -ne 0 ] || { echo "pre-commit passed on a bad file"; exit 1; }
echo "$out" | grep -q "KMS002" || { echo "the diagnostic is missing"; exit 1; }
git rm --cached --quiet bad.tf && rm bad.tf
cat > good.tf <<'TF'
resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "data" {
  name          = "alias/data"
  target_key_id = aws_kms_key.data.key_id
}
TF
git add good.tf
pre-commit try-repo "$repo" iacguard --files good.tf
echo "pre-commit hook: ok"
