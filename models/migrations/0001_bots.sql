CREATE TABLE "bots" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"icon" text,
	"type" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'not_configured' NOT NULL,
	"status_detail" text,
	"tool_mode" text DEFAULT 'basic' NOT NULL,
	"allow_direct_api" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claude_connections" (
	"bot_id" text PRIMARY KEY NOT NULL,
	"key_id" text,
	"mode" text NOT NULL,
	"agent_id" text,
	"environment_id" text,
	"vault_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"baton_vault_id" text,
	"model" text,
	"instructions" jsonb,
	"guidance" text DEFAULT '' NOT NULL,
	"synced_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"provider" text NOT NULL,
	"label" text NOT NULL,
	"ciphertext" text NOT NULL,
	"hint" text NOT NULL,
	"validated_at" timestamp with time zone,
	"validation_error" text,
	"models" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resources" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"bot_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_admins" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_admins_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "claude_connections" ADD CONSTRAINT "claude_connections_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claude_connections" ADD CONSTRAINT "claude_connections_key_id_provider_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."provider_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bots_team_name_idx" ON "bots" USING btree ("team_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "provider_keys_team_label_idx" ON "provider_keys" USING btree ("team_id","provider",lower("label"));--> statement-breakpoint
CREATE INDEX "sessions_bot_idx" ON "sessions" USING btree ("bot_id");