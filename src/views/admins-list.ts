import { context, header, section, type Blocks } from './blocks';
import { button, plainText } from './elements';
import { ACTION } from './ids';

/** `/baton admins`: Baton's own admin list; admins can add and remove people. */
export function buildAdminsList(userIds: string[], { canConfigure }: { canConfigure: boolean }): Blocks {
  const blocks: Blocks = [
    header('Baton admins'),
    context('Workspace admins and owners can always configure Baton. People listed here can too.'),
  ];
  if (userIds.length === 0) blocks.push(section('Nobody else has been added yet.'));
  for (const userId of userIds.slice(0, 40)) {
    blocks.push(section(`<@${userId}>`, canConfigure ? button('Remove', ACTION.removeAdmin, userId) : undefined));
  }
  if (canConfigure) {
    blocks.push({
      type: 'actions',
      block_id: 'admins_add',
      elements: [
        {
          type: 'multi_users_select',
          action_id: ACTION.addAdmins,
          placeholder: plainText('Add admins…'),
          max_selected_items: 10,
        },
      ],
    });
  }
  return blocks;
}
