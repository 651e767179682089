CREATE TABLE "session_triggers" (
	"trigger_key" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session_triggers" ADD CONSTRAINT "session_triggers_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;