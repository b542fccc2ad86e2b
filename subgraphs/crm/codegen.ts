import { subgraphCodegen } from '@fabline/shared/codegen';

export default subgraphCodegen({
  contextType: '../context.ts#CrmContext',
  prismaModels: { Person: 'Account', Review: 'Review', Note: 'Note', PartnerKey: 'ApiKey' },
  mappers: {
    // the viewer's fields are loaded from its account by id
    Viewer: '{ id: string }',
    // crm adds the review to an order it knows by id; shop owns the rest
    Order: '{ id: string }',
    // a page of people counts the whole list only when totalCount is selected
    PersonConnection: '../customers.ts#PersonPage',
  },
});
