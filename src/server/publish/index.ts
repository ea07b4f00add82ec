export { ForeignStreamError, startJetStreamPublisher, type JetStreamPublisher, type JetStreamPublisherOptions, type PublisherStatus } from './jetstream-publisher.js';
export { accountToken, messageIdOf, NO_ACCOUNT, subjectOf } from './subjects.js';
export { workflowEventOf, type WorkflowEvent } from './workflow-events.js';
export { publishCursor, type PublishCursor } from '../../store/publish-cursors.js';
