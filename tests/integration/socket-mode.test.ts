import { startHarness, type Harness } from '../support/harness';
import { appMention, slashCommand } from '../support/slack-requests';
import { FakeSocketModeServer } from '../support/socket-mode';

let socketMode: FakeSocketModeServer;
let h: Harness;
beforeAll(async () => {
  socketMode = await FakeSocketModeServer.start();
  h = await startHarness({ SLACK_APP_TOKEN: 'xapp-1-test' }, { socketModeUrl: socketMode.url });
});
afterAll(async () => {
  await h.stop();
  await socketMode.close();
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects out to Slack and answers commands and mentions over the socket', async () => {
    const opened = await h.slack.waitFor('apps.connections.open');
    expect(opened.token).toBe('xapp-1-test');

    const help = await socketMode.send('slash_commands', slashCommand({ text: 'help' }));
    expect(JSON.stringify(help)).toContain('/baton help');

    await socketMode.send('events_api', appMention({ text: '<@UBATON> ping', ts: '1700002000.000100' }));
    const pong = await h.slack.waitFor('chat.postMessage');
    expect(pong.args).toMatchObject({ text: 'pong', thread_ts: '1700002000.000100' });
  });
});
