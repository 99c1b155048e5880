-- The provider's own machine-readable error code ("insufficient_quota", "overloaded_error",
-- "API_KEY_INVALID", "ThrottlingException"), kept beside the classified type so operators can
-- filter on it. NULL when the failure carried none, and always NULL for a success.
alter table interceptions add column provider_code text;
alter table interceptions add constraint interceptions_code_has_type check (provider_code is null or error_type is not null);
