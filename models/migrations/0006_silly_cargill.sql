CREATE TABLE "github_connect_views" (
	"nonce" text PRIMARY KEY NOT NULL,
	"view_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "github_connections" (
	"bot_id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"installation_id" bigint NOT NULL,
	"account" text NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"problem" text,
	"available" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"chosen" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"connected_by" text NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "github_session_tokens" (
	"session_id" text PRIMARY KEY NOT NULL,
	"installation_id" bigint NOT NULL,
	"repositories" text[] NOT NULL,
	"token_ciphertext" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "github_connections" ADD CONSTRAINT "github_connections_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_session_tokens" ADD CONSTRAINT "github_session_tokens_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "github_connections_installation_idx" ON "github_connections" USING btree ("installation_id");