# mk/dist.mk: `make dist`, the PGXN source distribution subsidy-<semver>.zip (1.2 -> 1.2.0),
# made with git archive from the committed HEAD, every file under subsidy-<semver>/: nothing
# uncommitted, ignored or built goes in.  Included from the Makefile; `make -f mk/dist.mk dist`
# works without pg_config.  `bash test/meta.sh subsidy-<semver>.zip` checks the zip.

DIST_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))/..
EXTENSION  ?= $(shell sed -n 's/^EXTENSION *= *//p' $(DIST_MK_DIR)/Makefile)
EXTVERSION ?= $(shell sed -n 's/^EXTVERSION *= *//p' $(DIST_MK_DIR)/Makefile)
# PGXN versions are Semantic Versions: a two-part extension version gets a .0
DIST_VERSION = $(if $(word 3,$(subst ., ,$(EXTVERSION))),$(EXTVERSION),$(EXTVERSION).0)
DIST_NAME    = $(EXTENSION)-$(DIST_VERSION)
DIST_ZIP     = $(DIST_NAME).zip
# what must never be in it: build products, a profile, a test run's leftovers
DIST_STRAY   = \.(o|so|bc|a|zip|deb)$$|(^|/)perf\.data|(^|/)regression\.(diffs|out)$$|(^|/)(results|tmp_check|output_iso)/

.PHONY: dist
dist:
	@cd $(DIST_MK_DIR) && \
	git cat-file -e HEAD:META.json 2>/dev/null || \
		{ echo "dist: META.json is not committed; PGXN needs it in the zip" >&2; exit 1; }; \
	meta_version=$$(git show HEAD:META.json | sed -n 's/^  "version": *"\(.*\)",*$$/\1/p'); \
	[ "$$meta_version" = "$(DIST_VERSION)" ] || \
		{ echo "dist: the committed META.json says version $$meta_version; EXTVERSION $(EXTVERSION) makes $(DIST_VERSION)" >&2; exit 1; }; \
	stray=$$(git ls-tree -r --name-only HEAD | grep -E '$(DIST_STRAY)' || true); \
	[ -z "$$stray" ] || { echo "dist: HEAD tracks files that are no source:" $$stray >&2; exit 1; }; \
	[ -z "$$(git status --porcelain --untracked-files=no)" ] || \
		echo "dist: uncommitted changes are left out: the zip is HEAD"; \
	git archive --format=zip --prefix=$(DIST_NAME)/ -o $(DIST_ZIP) HEAD && \
	echo "$(DIST_ZIP): $$(git ls-tree -r --name-only HEAD | wc -l) files of HEAD $$(git log -1 --format=%h)"
