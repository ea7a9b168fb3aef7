// Connect Inspector: Explain Contact: asks the server for the explanation of the contact
// under the cursor and copies it to the clipboard as Markdown, ready for a ticket.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainParams, ExplainRequest } from '../../server/src/shared/protocol';
import { COMMANDS } from '../../server/src/shared/ids';

export function registerExplainCommand(context: vscode.ExtensionContext, clientReady: () => Promise<LanguageClient>): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.explainContact, async (uri?: vscode.Uri | string, contactId?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : editor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Explain Contact: open a dump and put the cursor in a contact record or an agent event.');
        return;
      }
      const position = editor && editor.document.uri.toString() === target.toString() ? editor.selection.active : new vscode.Position(0, 0);
      const params: ExplainParams = { uri: target.toString(), position: { line: position.line, character: position.character } };
      if (typeof contactId === 'string') params.contactId = contactId;
      const client = await clientReady();
      const result = await client.sendRequest(ExplainRequest.type, params);
      if (result.kind === 'explained') {
        await vscode.env.clipboard.writeText(result.markdown);
        void vscode.window.showInformationMessage(`The explanation of contact ${result.contactId} is on the clipboard (Markdown).`);
      } else if (result.kind === 'empty') {
        void vscode.window.showInformationMessage(
          result.reason === 'not-found'
            ? `Explain Contact: contact ${result.contactId} is in none of the open dumps.`
            : 'Explain Contact: no contact under the cursor. Put it in a contact record or an agent event.',
        );
      } else {
        void vscode.window.showErrorMessage(result.message);
      }
    }),
  );
}
