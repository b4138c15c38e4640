/** The fault suite starts its own clusters; it only refuses an addon older than native/. */
import { checkAddonFresh } from '../addon-fresh';

export default function globalSetup(): void {
  checkAddonFresh();
}
