/**
 * The unit and testing projects' global setup: no broker, only the check that the addon under test is
 * not older than native/.
 */
import { checkAddonFresh } from './addon-fresh';

export default function unitSetup(): void {
  checkAddonFresh();
}
