CREATE TABLE "channel_bot_settings" (
	"owner_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"bot_id" text NOT NULL,
	"guidance_mode" text DEFAULT 'inherit' NOT NULL,
	"guidance" jsonb,
	"repositories_mode" text DEFAULT 'inherit' NOT NULL,
	"repositories" text[] DEFAULT '{}'::text[] NOT NULL,
	"starters_mode" text DEFAULT 'anyone' NOT NULL,
	"starter_users" text[] DEFAULT '{}'::text[] NOT NULL,
	"starter_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"replies_without_mention" boolean DEFAULT true NOT NULL,
	"max_tool_mode" text DEFAULT 'full' NOT NULL,
	"mcp_approval" text DEFAULT 'bot' NOT NULL,
	"session_budget_cents" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_bot_settings_owner_id_channel_id_bot_id_pk" PRIMARY KEY("owner_id","channel_id","bot_id")
);
--> statement-breakpoint
CREATE TABLE "session_spend" (
	"session_id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"bot_id" text NOT NULL,
	"limit_cents" integer,
	"cost_usd" double precision,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_settings" (
	"team_id" text PRIMARY KEY NOT NULL,
	"session_budget_cents" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_settings" ADD COLUMN "owner_id" text;--> statement-breakpoint
-- Settings saved before owners existed belong to the workspace that saved them.
UPDATE "channel_settings" SET "owner_id" = "team_id";--> statement-breakpoint
ALTER TABLE "channel_settings" ALTER COLUMN "owner_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_settings" DROP CONSTRAINT "channel_settings_team_id_channel_id_pk";--> statement-breakpoint
ALTER TABLE "channel_settings" ADD CONSTRAINT "channel_settings_owner_id_channel_id_pk" PRIMARY KEY("owner_id","channel_id");--> statement-breakpoint
ALTER TABLE "bots" ADD COLUMN "session_budget_cents" integer;--> statement-breakpoint
ALTER TABLE "channel_settings" ADD COLUMN "monthly_cap_cents" integer;--> statement-breakpoint
ALTER TABLE "channel_bot_settings" ADD CONSTRAINT "channel_bot_settings_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_spend" ADD CONSTRAINT "session_spend_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_spend_team_created_idx" ON "session_spend" USING btree ("team_id","created_at");