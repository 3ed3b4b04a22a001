#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's test data.
set -euo pipefail
cd "$(dirname "$0")"
for t in hcl yaml json terraform_eval cloudformation_eval; do mkdir -p "corpus/$t"; done
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  case "$f" in
    *.tf | *.tofu | *.tfvars) cp "$f" "corpus/hcl/$n"; cp "$f" "corpus/terraform_eval/$n" ;;
    *.yaml | *.yml | *.template) cp "$f" "corpus/yaml/$n"; cp "$f" "corpus/cloudformation_eval/$n" ;;
    *.json) cp "$f" "corpus/json/$n" ;;
  esac
done < <(find ../testdata -type f -print0)
echo "seeded from $n files"
