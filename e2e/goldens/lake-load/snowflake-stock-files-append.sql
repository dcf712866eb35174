create schema if not exists "analytics"."partner_sftp";

create table if not exists "analytics"."partner_sftp"."stock" (
  "order_id" NUMBER(38,0),
  "amount" NUMBER(12,2),
  "updated_at" TIMESTAMP_TZ,
  "note" VARCHAR,
  "_strata_load_id" VARCHAR,
  "_strata_loaded_at" TIMESTAMP_TZ,
  "_strata_source_file" VARCHAR
);

alter table "analytics"."partner_sftp"."stock" add column if not exists "note" VARCHAR;

alter table "analytics"."partner_sftp"."stock" add column if not exists "_strata_source_file" VARCHAR;

delete from "analytics"."partner_sftp"."stock"
where "_strata_load_id" in ('20261031T000000Z-0000000a');

copy into "analytics"."partner_sftp"."stock"
  from @raw.strata_lake/raw/partner_sftp/stock/load_id=20261102T000000Z-00000002/
  pattern = '.*part-[0-9]+[.]parquet'
  file_format = (type = parquet)
  match_by_column_name = case_sensitive;
