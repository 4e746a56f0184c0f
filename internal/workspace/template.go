package workspace

import "fmt"

// DefaultConfigYAML returns the commented ferry.yaml that `ferry init` writes.
func DefaultConfigYAML(harvest string) string {
	return fmt.Sprintf(`# ferry workspace: Klipy CRM -> Pipedrive.
#
# Secrets never go in this file. ferry reads them from the environment only:
#   KLIPY_API_KEY          Klipy API key (Settings -> API), if your workspace has API access
#   KLIPY_BASE_URL         overrides source.klipy_base_url (e.g. a local sandbox)
#   KLIPY_WEBHOOK_SECRET   whsec_... secret of the Klipy webhook endpoint, for ferry listen
#   PIPEDRIVE_API_TOKEN    Pipedrive API token (Personal preferences -> API)
#   PIPEDRIVE_COMPANY_DOMAIN  e.g. acme for https://acme.pipedrive.com
#   PIPEDRIVE_BASE_URL     overrides the company domain (e.g. a local sandbox)

# Where ferry keeps its state. Empty: .ferry/state.db in this folder. A PostgreSQL URL
# (postgres://user@host:5432/database, no password here: use PGPASSWORD or ~/.pgpass, or put
# the whole URL in FERRY_STORE_URL, which overrides this) shares it, so the migration can be
# run, resumed or checked (ferry status) from any machine with this folder's plan files.
store: ""
# The migration's name in a shared store (lower-case letters, digits, _); empty means this
# folder's name.
migration: ""

source:
  # Klipy's API base URL; empty means https://api.klipy.ai/api/v1.
  klipy_base_url: ""
  # Which Klipy API generation to use: auto (detect by authenticating), new or old.
  klipy_api: auto
  # Records per Klipy query page; 0 means 100. Klipy documents a default of 20 and no maximum:
  # when it refuses a size with a 400 naming its limit, ferry lowers the size and goes on.
  klipy_page_size: 0
  # The harvest folder: CSV files for what no Klipy API gives (deals before webhook capture,
  # notes, to-dos, tags, owners, custom fields, attachments). ferry harvest template DIR
  # writes empty templates. Relative paths are relative to this file.
  harvest: %q
  # Region used to read phone numbers written without a country code (ISO 3166, e.g. US, GB, DE).
  default_phone_region: US

pipedrive:
  # Company domain (the "acme" of acme.pipedrive.com); PIPEDRIVE_COMPANY_DOMAIN overrides it.
  company_domain: ""
  # Your Pipedrive plan and seats size the daily API budget (30,000 x multiplier x seats
  # tokens; multipliers lite 1, growth 2, premium 5, ultimate 7) and the burst limit.
  plan: growth
  seats: 1
  # Extra tokens bought as a top-up, added to the daily budget.
  top_up_tokens: 0
  # api_token (PIPEDRIVE_API_TOKEN) or oauth: "ferry login pipedrive" once, with your OAuth
  # app's PIPEDRIVE_CLIENT_ID and PIPEDRIVE_CLIENT_SECRET set; 4x the burst limit, tokens
  # refreshed for you and kept outside the workspace.
  auth: api_token
  # Email of the Pipedrive user that receives records whose Klipy owner has no Pipedrive user
  # and no decision; empty means such owners block confirmation until decided.
  fallback_owner: ""
`, harvest)
}
