# subsidy: the unemployment-insurance job-stabilisation subsidy (失业保险稳岗补贴) as a
# PostgreSQL extension.  `make && make install` builds it against the server that
# pg_config (on PATH, or PG_CONFIG=...) names; README.md has the two commands that do
# everything on a fresh machine.

EXTENSION  = subsidy
EXTVERSION = 1.2
# The release this one upgrades from: its full script is frozen in src/sql/releases.
PREVIOUS   = 1.1

MODULE_big = subsidy
OBJS = \
	src/subsidy.o \
	src/normalize.o \
	src/uscc.o \
	src/shipped.o \
	src/stamp.o \
	src/money.o \
	src/policy.o \
	src/verdict.o \
	src/assess.o \
	src/calendar.o \
	src/rights.o \
	src/hooks.o \
	src/messages.o \
	src/audit.o \
	src/verify.o \
	src/rowstate.o \
	src/records.o \
	src/workflow.o \
	src/columns.o \
	src/submission.o \
	src/review.o \
	src/payment.o \
	src/trail.o \
	src/signoff.o \
	src/rmb.o \
	src/partition.o

# Install scripts.  The current version's script is built from src/sql: schema/*.sql (types,
# tables, shipped rows) then code/*.sql (functions, views, triggers, policies, rights), one
# file per concept, each in name order.  The upgrade from the previous release is its schema
# changes (src/sql/upgrade) followed by the same code, so that an upgraded database gets
# exactly the code of a fresh one.  Earlier releases' scripts are kept as they shipped in
# src/sql/releases/.
DATA_built = subsidy--$(EXTVERSION).sql subsidy--$(PREVIOUS)--$(EXTVERSION).sql subsidy-partition-$(EXTVERSION).sql
DATA       = $(wildcard src/sql/releases/subsidy--*.sql)
SCHEMA_PARTS = $(sort $(wildcard src/sql/schema/*.sql))
CODE_PARTS   = $(sort $(wildcard src/sql/code/*.sql))
# The schema parts this release adds whole: the update creates them from the same files as a
# fresh install, after its own changes (written once, so that the two cannot drift apart).
NEW_SCHEMA_PARTS = src/sql/schema/21_region_office.sql src/sql/schema/56_screening.sql \
	src/sql/schema/92_report_schema.sql

# pg_regress suites (sql/ and expected/), in order from install to uninstall.
REGRESS = \
	install \
	catalog \
	privileges \
	uscc \
	uscc_index \
	engine \
	engine_amount \
	regimes \
	engine_bulk \
	calendar \
	workflow \
	workflow_integrity \
	rights \
	audit \
	rmb \
	reports \
	report_schema \
	papers \
	cycle \
	cycle_interrupted \
	workflow_abuse \
	screening \
	upgrade \
	hostile \
	hostile_clerk \
	role_rename \
	uninstall

# Isolation suites (test/isolation/specs, run by installcheck-isolation): races that the
# workflow must win whatever the timing.
ISOLATION_SPECS = $(basename $(notdir $(wildcard test/isolation/specs/*.spec)))

EXTRA_CLEAN = test/*/results test/*/output_iso

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
ifeq ($(PGXS),)
$(error pg_config was not found: install postgresql-server-dev-15 or set PG_CONFIG=/path/to/pg_config)
endif
include $(PGXS)

# ICU is the server's own: a server built --with-icu gives PGXS its ICU_CFLAGS and ICU_LIBS.
ifneq ($(with_icu),yes)
$(error subsidy needs a PostgreSQL server built --with-icu (it normalises codes and sorts names with ICU); this one, $(shell $(PG_CONFIG) --version), was not)
endif
override CPPFLAGS += $(ICU_CFLAGS) -DSUBSIDY_VERSION='"$(EXTVERSION)"'
SHLIB_LINK  += $(ICU_LIBS)

# Every object depends on the shared header; the message table is compiled into messages.o.
$(OBJS): src/subsidy.h
src/workflow.o src/columns.o src/submission.o src/review.o src/payment.o src/trail.o src/signoff.o: src/guard.h
src/messages.o: src/messages.h

# Messages (issue 12): every message of the C code and of messages.h (which the SQL raises by
# key) is English in the source and goes through the text domain subsidy-<major>
# (PG_TEXTDOMAIN), as PostgreSQL's own modules do; po/ holds the template and a catalog per
# language, compiled here and installed into the server's locale directory, where
# lc_messages finds them.  `make update-po` extracts the template again and merges it into
# the catalogs; test/messages/run.sh fails on any message left untranslated.
LANGUAGES   = zh_CN
MO_FILES    = $(addprefix po/,$(addsuffix .mo,$(LANGUAGES)))
localedir  := $(shell $(PG_CONFIG) --localedir)
NLS_SOURCES = $(wildcard src/*.c) $(wildcard src/*.h)
XGETTEXT_OPTIONS = --language=C --from-code=UTF-8 --no-wrap --sort-by-file --add-comments=translator \
	--keyword=_ --keyword=N_ --keyword=errmsg --keyword=errmsg_plural:1,2 --keyword=errdetail \
	--keyword=errdetail_plural:1,2 --keyword=errhint --keyword=errhint_plural:1,2 --keyword=PLURAL:1,2 \
	--keyword=GUC_check_errmsg --keyword=GUC_check_errdetail --keyword=GUC_check_errhint \
	--flag=errmsg:1:c-format --flag=errdetail:1:c-format --flag=errhint:1:c-format \
	--flag=psprintf:1:c-format --package-name=subsidy --package-version=$(EXTVERSION) \
	--msgid-bugs-address=none

all: $(MO_FILES)
po/%.mo: po/%.po
	msgfmt --check -o $@ $<
EXTRA_CLEAN += $(MO_FILES)

install: install-po
.PHONY: install-po uninstall-po update-po check-po
install-po: $(MO_FILES)
	for lang in $(LANGUAGES); do \
		$(MKDIR_P) '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES && \
		$(INSTALL_DATA) po/$$lang.mo '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/subsidy-$(MAJORVERSION).mo || exit 1; \
	done
uninstall: uninstall-po
uninstall-po:
	for lang in $(LANGUAGES); do rm -f '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/subsidy-$(MAJORVERSION).mo; done

# The template as the sources now stand holds nothing po/subsidy.pot lacks, and every catalog
# translates each of its messages (test/messages/run.sh).
check-po:
	@tmp=$$(mktemp) && xgettext $(XGETTEXT_OPTIONS) -o $$tmp $(NLS_SOURCES) && \
	msgcmp --use-untranslated po/subsidy.pot $$tmp && \
	for lang in $(LANGUAGES); do msgcmp po/$$lang.po $$tmp || { rm -f $$tmp; exit 1; }; done; \
	status=$$?; rm -f $$tmp; exit $$status

.PHONY: check-po print-languages print-regress
print-languages:
	@echo $(LANGUAGES)
print-regress:
	@echo $(REGRESS)

update-po:
	xgettext $(XGETTEXT_OPTIONS) -o po/subsidy.pot $(NLS_SOURCES)
	for lang in $(LANGUAGES); do msgmerge --quiet --update --no-wrap --no-fuzzy-matching --backup=none po/$$lang.po po/subsidy.pot || exit 1; done

subsidy--$(EXTVERSION).sql: src/sql/header.sql $(SCHEMA_PARTS) $(CODE_PARTS) src/sql/install-after.sql
	cat $^ > $@
subsidy--$(PREVIOUS)--$(EXTVERSION).sql: src/sql/upgrade/header.sql src/sql/upgrade/drop_code.sql \
		src/sql/upgrade/$(PREVIOUS)--$(EXTVERSION).sql $(NEW_SCHEMA_PARTS) $(CODE_PARTS) \
		$(wildcard src/sql/upgrade/$(PREVIOUS)--$(EXTVERSION)-after.sql)
	cat $^ > $@

# CALL subsidy.partition_by_year() (src/partition.c) runs this as an update runs its script: the
# code dropped, the two tables partitioned by year, the same code created again (issue 15).
subsidy-partition-$(EXTVERSION).sql: src/sql/upgrade/header.sql src/sql/upgrade/drop_code.sql \
		src/sql/partition/by_year.sql $(CODE_PARTS)
	cat $^ > $@

# PGXS's ISOLATION would look for specs beside sql/; ours live under test/isolation.
.PHONY: installcheck-isolation
installcheck-isolation:
	$(top_builddir)/src/test/isolation/pg_isolation_regress --bindir='$(bindir)' \
		--inputdir=test/isolation --outputdir=test/isolation \
		--dbname=subsidy_isolation $(ISOLATION_SPECS)

# TAP suites (test/tap/t/*.pl): PostgreSQL's own TAP framework, against the installed server;
# each test makes its own clusters under TESTDIR (run it as a user initdb accepts).
TESTDIR ?= $(CURDIR)/test/tap
.PHONY: installcheck-tap
installcheck-tap:
	TESTDIR='$(TESTDIR)' PATH="$(bindir):$$PATH" PG_REGRESS='$(top_builddir)/src/test/regress/pg_regress' \
	PERL5LIB='$(top_builddir)/src/test/perl' \
	prove $(PROVE_FLAGS) -I '$(top_builddir)/src/test/perl' --ext .pl test/tap/t/

# `make dist`: the PGXN zip subsidy-<semver>.zip of the committed HEAD (mk/dist.mk).
include mk/dist.mk

# The README's two commands, as make targets for those who have make already.
.PHONY: demo test-all
demo:
	bash test/demo.sh
test-all:
	bash test/test-all.sh
