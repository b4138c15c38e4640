/** The fault suite starts its own clusters; it only refuses an addon older than native/. */
import { checkAddonFresh } from '../global-setup';

export default function globalSetup(): void {
  checkAddonFresh();
}
